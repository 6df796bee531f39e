// Where the window is: kept in the URL hash so the navigation guard never sees a new page
// load, and Back/Forward (Alt+←/→) work as users expect.
import { useEffect, useState } from "react";

export type Route = { page: "cases" } | { page: "case"; id: string } | { page: "settings" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, "");
  const [first, second] = path.split("/");
  if (first === "settings") return { page: "settings" };
  if (first === "cases" && second && UUID.test(second)) return { page: "case", id: second.toLowerCase() };
  return { page: "cases" };
}

export function routeHref(route: Route): string {
  switch (route.page) {
    case "cases":
      return "#/cases";
    case "case":
      return `#/cases/${route.id}`;
    case "settings":
      return "#/settings";
  }
}

export function navigate(route: Route): void {
  const href = routeHref(route);
  if (window.location.hash !== href) window.location.hash = href;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return route;
}
