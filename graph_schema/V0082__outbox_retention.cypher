// Outbox retention prunes the oldest events once they are old enough and no delivery still needs
// them: deliveries are found by their event, and one node records how far pruning has gone.
CREATE INDEX webhook_delivery_event IF NOT EXISTS FOR (n:WebhookDelivery) ON (n.event_id);
CREATE CONSTRAINT outbox_retention_id IF NOT EXISTS FOR (n:OutboxRetention) REQUIRE n.id IS UNIQUE;
