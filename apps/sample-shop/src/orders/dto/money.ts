/** The API's largest amount (PAYMNT_API.md section 0), in minor units. */
export const MAX_AMOUNT = 999_999_999;

/** The validation message of every amount field. */
export const AMOUNT_MESSAGE = `$property must be an integer amount in minor units (cents), from 1 to ${MAX_AMOUNT}`;
