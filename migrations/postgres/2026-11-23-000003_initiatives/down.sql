DROP TABLE initiative_members;
DROP TABLE initiative_tags;
DROP TABLE initiatives;
