from enum import Enum


class AnnotationTargetKind(str, Enum):
    EVALUATION = "EVALUATION"
    MODEL_VERSION = "MODEL_VERSION"
    DEPLOYMENT = "DEPLOYMENT"
    DEPLOYMENT_EVENT = "DEPLOYMENT_EVENT"
    HEALTH_WINDOW = "HEALTH_WINDOW"


class AuditDecision(str, Enum):
    ALLOWED = "ALLOWED"
    DENIED = "DENIED"
    REVIEW = "REVIEW"
    APPLIED = "APPLIED"
    REJECTED = "REJECTED"


class DeploymentEventType(str, Enum):
    CREATED = "CREATED"
    PROMOTED = "PROMOTED"
    CANARY_STARTED = "CANARY_STARTED"
    TRAFFIC_SHIFTED = "TRAFFIC_SHIFTED"
    ROLLED_BACK = "ROLLED_BACK"
    INCIDENT_OPENED = "INCIDENT_OPENED"
    INCIDENT_RESOLVED = "INCIDENT_RESOLVED"
    RETIRED = "RETIRED"


class DesiredState(str, Enum):
    DEPLOYED = "DEPLOYED"
    RETIRED = "RETIRED"


class FeedbackKind(str, Enum):
    METRIC = "METRIC"
    DRIFT = "DRIFT"


class FilterField(str, Enum):
    DOMAIN = "DOMAIN"
    TASK = "TASK"
    DATA_DOMAIN = "DATA_DOMAIN"
    FRAMEWORK = "FRAMEWORK"
    LICENCE = "LICENCE"
    OWNER = "OWNER"
    TEAM = "TEAM"
    ALIAS = "ALIAS"
    TAG = "TAG"
    REGULATORY = "REGULATORY"
    STATUS = "STATUS"
    MODEL_NAME = "MODEL_NAME"
    TRAINING_DURATION = "TRAINING_DURATION"
    CREATED_AT = "CREATED_AT"
    UPDATED_AT = "UPDATED_AT"
    CUSTOM = "CUSTOM"
    FEATURE_USED = "FEATURE_USED"
    FEATURE_IMPORTANCE = "FEATURE_IMPORTANCE"
    CONTAINS_PERSONAL_DATA = "CONTAINS_PERSONAL_DATA"
    TRAINED_ON = "TRAINED_ON"
    FINDING = "FINDING"


class FilterOp(str, Enum):
    EQ = "EQ"
    NEQ = "NEQ"
    IN = "IN"
    GT = "GT"
    GTE = "GTE"
    LT = "LT"
    LTE = "LTE"
    EXISTS = "EXISTS"
    PREFIX = "PREFIX"


class HealthStatus(str, Enum):
    HEALTHY = "HEALTHY"
    DEGRADED = "DEGRADED"
    UNHEALTHY = "UNHEALTHY"
    UNKNOWN = "UNKNOWN"


class HistoryResolution(str, Enum):
    HOUR = "HOUR"
    DAY = "DAY"
    WEEK = "WEEK"


class LineageDirection(str, Enum):
    UPSTREAM = "UPSTREAM"
    DOWNSTREAM = "DOWNSTREAM"
    BOTH = "BOTH"


class LineageEdgeType(str, Enum):
    USED = "USED"
    DERIVED_FROM = "DERIVED_FROM"
    COMPUTED_FROM = "COMPUTED_FROM"
    TRAINED_BY = "TRAINED_BY"
    PRODUCED_BY = "PRODUCED_BY"
    VERSION_OF = "VERSION_OF"
    FINE_TUNED_FROM = "FINE_TUNED_FROM"
    POINTS_TO = "POINTS_TO"
    IN = "IN"
    OF = "OF"
    ON = "ON"
    SERVES = "SERVES"
    STORED_AS = "STORED_AS"
    FOR = "FOR"


class LineageNodeKind(str, Enum):
    Alias = "Alias"
    Artifact = "Artifact"
    Dataset = "Dataset"
    DatasetVersion = "DatasetVersion"
    Deployment = "Deployment"
    DeploymentEvent = "DeploymentEvent"
    Environment = "Environment"
    Evaluation = "Evaluation"
    Experiment = "Experiment"
    Feature = "Feature"
    Model = "Model"
    ModelVersion = "ModelVersion"
    Project = "Project"
    Run = "Run"


class ObservedState(str, Enum):
    CREATING = "CREATING"
    IN_SERVICE = "IN_SERVICE"
    DEGRADED = "DEGRADED"
    ROLLED_BACK = "ROLLED_BACK"
    RETIRED = "RETIRED"


class ReviewStatus(str, Enum):
    PENDING = "PENDING"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    EXPIRED = "EXPIRED"


class RunEnd(str, Enum):
    FINISHED = "FINISHED"
    FAILED = "FAILED"
    KILLED = "KILLED"


class RunStatus(str, Enum):
    RUNNING = "RUNNING"
    FINISHED = "FINISHED"
    FAILED = "FAILED"
    KILLED = "KILLED"


class SortBy(str, Enum):
    RELEVANCE = "RELEVANCE"
    CREATED_AT = "CREATED_AT"
    METRIC = "METRIC"


class TextMode(str, Enum):
    SIMPLE = "SIMPLE"
    LUCENE = "LUCENE"


class VersionState(str, Enum):
    READY = "READY"
    ARCHIVED = "ARCHIVED"
