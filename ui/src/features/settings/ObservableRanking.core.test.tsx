// Settings → Observable types: the cap on observables per case and the order of types that
// ranks extracted values, against the real core (`casebook serve --dev`).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cleanup, configure, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { useQuery } from "@tanstack/react-query";
import { getConfiguration } from "../../lib/api/client";
import { queryKeys } from "../../lib/queryKeys";
import { freshSpace } from "../../testing/core/server";
import { renderWithQueries } from "../../testing/render";
import { ObservableTypesSection } from "./ObservableTypesSection";

configure({ asyncUtilTimeout: 8_000 });

let space: string;

/** The section as the Settings page gives it the space's settings. */
function Section() {
  const config = useQuery({ queryKey: queryKeys.configuration(space), queryFn: () => getConfiguration(space) });
  return config.data ? <ObservableTypesSection space={space} config={config.data} /> : null;
}

const capBox = () => screen.getByLabelText("At most") as HTMLInputElement;

beforeEach(async () => {
  space = await freshSpace("ranking");
});
afterEach(() => cleanup());

describe("Settings → Observable types: ranking and cap", () => {
  it("shows Kibana's cap of 50, refuses more than 500 beside the box, and saves a new cap", async () => {
    renderWithQueries(<Section />);
    await waitFor(() => expect(capBox().value).toBe("50"));
    expect(screen.getByText(/Kibana’s cap is 50; a space may allow up to 500/)).toBeTruthy();

    fireEvent.change(capBox(), { target: { value: "501" } });
    fireEvent.click(screen.getByRole("button", { name: "Save cap" }));
    expect((await screen.findByRole("alert")).textContent).toBe("must be between 1 and 500 (got 501; Kibana's is 50)");
    expect(capBox().getAttribute("aria-invalid")).toBe("true");
    expect((await getConfiguration(space)).max_observables).toBe(50);

    fireEvent.change(capBox(), { target: { value: "200" } });
    fireEvent.click(screen.getByRole("button", { name: "Save cap" }));
    expect(await screen.findByText(/A case of this space now holds at most 200 observables\./)).toBeTruthy();
    expect((await getConfiguration(space)).max_observables).toBe(200);
  });

  it("moves a type up the ranking and keeps the order in the core", async () => {
    renderWithQueries(<Section />);
    const list = await screen.findByRole("list", { name: "Observable types by rank" });
    const labels = () => within(list).getAllByRole("listitem").map((li) => li.querySelector(".type-ranking-label")?.textContent);
    await waitFor(() => expect(labels().slice(0, 4)).toEqual(["IPv4", "IPv6", "URL", "Hostname"]));
    expect((screen.getByRole("button", { name: "Move IPv4 up" }) as HTMLButtonElement).disabled).toBe(true);

    fireEvent.click(screen.getByRole("button", { name: "Move Hostname up" }));
    expect(await screen.findByText(/“Hostname” moved up\./)).toBeTruthy();
    await waitFor(() => expect(labels().slice(0, 4)).toEqual(["IPv4", "IPv6", "Hostname", "URL"]));
    const saved = (await getConfiguration(space)).observable_type_priority;
    expect(saved.slice(0, 4)).toEqual(["observable-type-ipv4", "observable-type-ipv6", "observable-type-hostname", "observable-type-url"]);
  });
});
