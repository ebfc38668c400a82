DROP TABLE federation_log;
DROP TABLE domain_policies;
