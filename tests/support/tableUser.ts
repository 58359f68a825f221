import type { DirectoryUser } from "../../src/types.ts";

/** A directory user for the users table: a name or email left out is absent (an empty cell). */
export const tableUser = (username: string, name?: string, email?: string): DirectoryUser => ({
  dn: `uid=${username},dc=example,dc=com`,
  username,
  ...(name === undefined ? {} : { name }),
  ...(email === undefined ? {} : { email }),
  aliases: {},
});
