// Files of directory artifacts (a manifest of paths -> digests): one node per content digest, so a
// file shared by many versions is one node, and a download of a file finds a version holding it.
CREATE CONSTRAINT artifact_file_digest IF NOT EXISTS FOR (n:ArtifactFile) REQUIRE n.digest IS UNIQUE;
