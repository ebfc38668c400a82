DROP INDEX petition_signatures_shown;
DROP TABLE petition_tallies;
