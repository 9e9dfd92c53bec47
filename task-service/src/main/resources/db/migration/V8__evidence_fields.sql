-- Evidence keeps what the office uses as proof beside the photo: when and where it was taken (from the phone's
-- fields or the photo's own EXIF, read before the stored copy is re-encoded without metadata), and its size.
alter table evidence add column taken_at timestamptz;
alter table evidence add column latitude double precision;
alter table evidence add column longitude double precision;
alter table evidence add column width int;
alter table evidence add column height int;
