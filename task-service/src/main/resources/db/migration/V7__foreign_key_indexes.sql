-- Every foreign key leads an index (ForeignKeyIndexTest): questions by the parent and deletes of a parent read an
-- index instead of the child table.
create index person_group on person (group_id);
create index person_town_id on person (town_id);
create index person_village_village on person_village (village_id);
create index task_code on task (code);
create index task_evidence_evidence on task_evidence (evidence_id);
