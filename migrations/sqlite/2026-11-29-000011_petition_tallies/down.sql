DROP TABLE petition_tallies;
