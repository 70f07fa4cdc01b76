/** Identifiers of federations and datasets: letters, digits, `.`, `_`, `-`; 1–64 characters, starting with a letter or digit. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const ID_PATTERN_MESSAGE =
  'must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit';

/** A Fabric MSP id such as `Org1MSP`. */
export const MSP_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9.-]{0,63}$/;
