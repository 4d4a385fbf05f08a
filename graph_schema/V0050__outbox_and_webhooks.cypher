// The transactional outbox: one Outbox node per registry event, sequenced by one counter node.
// Readers ask for "seq > n" (subscription catch-up, the webhook fan-out): the unique seq is a range index.
CREATE CONSTRAINT outbox_seq IF NOT EXISTS FOR (n:Outbox) REQUIRE n.seq IS UNIQUE;
CREATE CONSTRAINT outbox_id IF NOT EXISTS FOR (n:Outbox) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT outbox_counter_id IF NOT EXISTS FOR (n:OutboxCounter) REQUIRE n.id IS UNIQUE;
// Webhooks: subscriptions, one delivery per (event, subscription) (the key makes fan-out exactly-once),
// and the cursor of the fan-out.
CREATE CONSTRAINT webhook_subscription_id IF NOT EXISTS FOR (n:WebhookSubscription) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT webhook_delivery_id IF NOT EXISTS FOR (n:WebhookDelivery) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT webhook_delivery_key IF NOT EXISTS FOR (n:WebhookDelivery) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT webhook_cursor_id IF NOT EXISTS FOR (n:WebhookCursor) REQUIRE n.id IS UNIQUE;
// Workers claim due deliveries: by state, then by when they are due.
CREATE INDEX webhook_delivery_due IF NOT EXISTS FOR (n:WebhookDelivery) ON (n.state, n.next_attempt_at);
CREATE INDEX webhook_delivery_subscription IF NOT EXISTS FOR (n:WebhookDelivery) ON (n.subscription_id, n.created_at);
