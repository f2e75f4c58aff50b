"""住户违章 (spec §11): resident violations and the ladder from dissuasion to transfer."""
