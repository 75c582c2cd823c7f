// Moving between the site's pages without reloading.
let renderer: () => Promise<void> = async () => undefined;

export function onNavigate(render: () => Promise<void>): void {
  renderer = render;
}

export function go(path: string): void {
  history.pushState(null, "", path);
  void renderer();
}
