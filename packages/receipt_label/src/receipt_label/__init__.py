"""Receipt domain model, pattern labeling, merchant matching and label validation."""
