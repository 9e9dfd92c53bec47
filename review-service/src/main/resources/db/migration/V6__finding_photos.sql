-- 回头看 findings carry photos (a copy re-encoded from the pixels, as task evidence is stored)
create table finding_photo (
    id           uuid primary key,
    finding_id   uuid        not null references finding (id),
    content_type text        not null,
    size_bytes   int         not null,
    sha256       text        not null,
    content      bytea       not null,
    width        int,
    height       int,
    taken_at     timestamptz,
    latitude     double precision,
    longitude    double precision,
    uploaded_by  uuid        not null,
    uploaded_at  timestamptz not null
);
create index finding_photo_finding on finding_photo (finding_id);
