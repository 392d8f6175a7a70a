"""How the site says things in words, one module per job: `values` (a value, its interval, a
number), `titles` (sentence case), `citing` (short citations, how the site knows a value, "not
reported"), `reports` (how a figure's reports compare), `corrections` (the wording of a correction
notice; which notice applies is `trialsite.data.notices`) and `sentence` (the line a presenter pastes)."""
