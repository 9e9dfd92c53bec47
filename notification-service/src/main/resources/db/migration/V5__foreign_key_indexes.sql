-- Every foreign key leads an index (ForeignKeyIndexTest).
create index delivery_notification on delivery (notification_id);
create index delivery_webhook on delivery (webhook_id);
