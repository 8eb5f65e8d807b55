-- phonepe-billing 004: a webhook that changed nothing is not "processed".
-- An authenticated event that was refused (its amount or ids disagree with our row), contradicted by
-- PhonePe's status API, or premature is stored as `unapplied`: the next delivery with the same dedupe
-- key is processed again instead of being answered as a duplicate, so a forged or early event cannot
-- swallow the genuine one that comes later.
alter table webhook_events drop constraint webhook_events_status_check;
alter table webhook_events add constraint webhook_events_status_check
  check (status in ('received', 'processed', 'failed', 'unapplied'));
