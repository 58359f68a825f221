/** The product version; deno.json's "version" must match (a test checks it). */
export const VERSION = "0.1.0";
