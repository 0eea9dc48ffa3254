-- Opportunity.OwnerId and Lead.Status/CreatedDate are now synced. An incremental sync only re-reads
-- records modified since its checkpoint, so records that do not change would never get them: the
-- next run of every connected org reads Opportunity and Lead whole again (as a first sync does; a
-- re-read version that changes nothing but these fields only adds them).
UPDATE "salesforce_sync_objects" SET "checkpoint" = NULL WHERE "object" IN ('Opportunity', 'Lead');
