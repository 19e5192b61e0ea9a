package org.kfm.tasks.contracts;

/** One invalid input: a JSON Pointer to the field and what is wrong with it. */
public record FieldError(String field, String message) {}
