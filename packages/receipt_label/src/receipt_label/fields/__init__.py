"""Receipt-level fields read from a whole receipt: merchant, address, phone, date, amounts."""
