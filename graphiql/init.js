// Starts GraphiQL on the page's own GraphQL endpoint (no inline script: the page's CSP
// allows only scripts served by the hub). Headers typed in GraphiQL's header editor
// (e.g. {"Authorization": "Bearer …", "X-Purpose": "case-management"}) go with every request.
/* global React, ReactDOM, GraphiQL */
(function () {
  const endpoint = document.body.dataset.endpoint || "/graphql";
  const fetcher = GraphiQL.createFetcher({ url: endpoint });
  const root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher,
      defaultEditorToolsVisibility: true,
    }),
  );
})();
