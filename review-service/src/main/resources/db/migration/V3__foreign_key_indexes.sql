-- Every foreign key leads an index (ForeignKeyIndexTest): a meeting's decisions, findings, statements and journal,
-- and a decision's action items, are read by their parent.
create index decision_meeting on decision (meeting_id);
create index finding_meeting on finding (meeting_id);
create index statement_meeting on statement (meeting_id);
create index meeting_journal_meeting on meeting_journal (meeting_id);
create index action_item_decision on action_item (decision_id);
