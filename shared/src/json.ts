/** Any JSON value: what crosses a node boundary. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
