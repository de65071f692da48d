"""Run functions on their layer stacks the way Lambda does: Runtime API, stack, checks, reports."""
