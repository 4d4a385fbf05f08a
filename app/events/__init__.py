"""Registry events: the transactional outbox, subscriptions fed from it, and webhooks."""
