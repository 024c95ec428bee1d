/*
 * PostgreSQL's text cannot hold U+0000, and a query carrying one is refused as a protocol
 * violation. The domain refuses it in what is stored; a text to look for that has one matches
 * nothing.
 */
export const hasNulCharacter = (text: string) => text.includes('\u0000');
