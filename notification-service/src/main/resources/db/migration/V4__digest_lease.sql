-- A digest run claims one recipient's waiting items for a while (the lease) before it mails them, with no
-- transaction open during the mail: another instance leaves them alone, and a run that dies mid-way leaves them to
-- the next run once the lease ends.
alter table delivery add column lease_until timestamptz;
