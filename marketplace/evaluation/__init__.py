"""评价: the fourth word of the cycle — the outcome panel's scores, the students' satisfaction, the
project's final score, the improvement plan (整改) it may require, and the reputation (信誉) that
puts a host's record in front of the panel choosing the next one."""
