-- Illustrative demo data for the local stack only: invented groups and people, no real names.
insert into working_group (id, name, star, lead_id) values
  ('00000000-0000-4000-8000-000000000001', '创建办', null, null),
  ('00000000-0000-4000-8000-000000000013', '生态宜居专班', 'ST', null);

insert into person (id, username, display_name, roles, group_id, town_id) values
  ('00000000-0000-4000-8000-000000000101', 'office',   '创建办 李干事（示例）', 'OFFICE', '00000000-0000-4000-8000-000000000001', null),
  ('00000000-0000-4000-8000-000000000102', 'leader',   '区委书记（示例）',      'LEADER', null, null),
  ('00000000-0000-4000-8000-000000000103', 'st-lead',  '生态宜居专班 王组长（示例）', 'GROUP_LEAD', '00000000-0000-4000-8000-000000000013', null),
  ('00000000-0000-4000-8000-000000000104', 'st-cadre', '生态宜居专班 赵干部（示例）', 'CADRE', '00000000-0000-4000-8000-000000000013', null),
  ('00000000-0000-4000-8000-000000000105', 'admin',    '系统管理员（示例）',    'ADMIN', null, null);

update working_group set lead_id = '00000000-0000-4000-8000-000000000103' where id = '00000000-0000-4000-8000-000000000013';
