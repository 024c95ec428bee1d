import type { Context } from 'hono';
import type { Page } from '../../application/page.ts';
import { type CursorCodec, cursorCodec } from './cursor.ts';
import { LIMIT_DEFAULT } from './fields.ts';

/**
 * Keyset pages over HTTP, the same for every list: the position comes in a signed `cursor`
 * made for one kind of list (an ordering), and the next page is announced in
 * `Link: <…>; rel="next"`, the body staying a bare array. The link's scheme and host are
 * `origin`'s, never the `Host` a client chose.
 */
export function paging(secret: string, origin: (c: Context) => string) {
  const cursors: CursorCodec = cursorCodec(secret);
  const after = <Key>(kind: string, cursor: string | undefined): Key | undefined =>
    cursor ? (cursors.decode(kind, cursor) as Key) : undefined;
  return {
    /** Where the page starts: the position in `cursor`, which must have been made for `kind`. */
    after,
    /** The page a list ordered by id asks for: the id it starts after, and its length. */
    byId(kind: string, query: { cursor?: string; limit?: number }) {
      return { afterId: after<number>(kind, query.cursor), limit: query.limit ?? LIMIT_DEFAULT };
    },
    /** The page's items as `view` shows them; sets `Link` when another page follows. */
    items<Item, Key, View>(
      c: Context,
      kind: string,
      page: Page<Item, Key>,
      view: (item: Item) => View,
    ): View[] {
      if (page.next !== null) {
        const requested = new URL(c.req.url);
        const url = new URL(requested.pathname + requested.search, origin(c));
        url.searchParams.set('cursor', cursors.encode(kind, page.next));
        c.header('Link', `<${url}>; rel="next"`);
      }
      return page.items.map(view);
    },
  };
}

export type Paging = ReturnType<typeof paging>;
