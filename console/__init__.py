"""The officers' web console: TypeScript in ``src/``, GraphQL operations in ``operations/``,
built by ``tools/build.mjs`` into ``public/`` (committed; a test checks it matches)."""
