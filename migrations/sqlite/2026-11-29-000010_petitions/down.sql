DROP TABLE node_keys;
DROP TABLE petition_cosignatures;
DROP TABLE petition_witnessing;
DROP TABLE petition_log_hashes;
DROP TABLE petition_log_leaves;
DROP TABLE petition_invalidations;
DROP TABLE petition_signatures;
DROP TABLE petitions;
