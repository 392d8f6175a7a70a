"""Build the reference website for the reported results of Alliance A041703 Cohort 1 from data/."""
