import { afterEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, renderHook, waitFor } from "@testing-library/react";
import * as client from "./api/client";
import { ApiError } from "./api/client";
import { DRAFT_SAVE_DELAY_MS, draftKey, useDiskMirror, useStoredDraft } from "./drafts";

vi.mock("./api/client", async (importOriginal) => {
  const actual = await importOriginal<typeof import("./api/client")>();
  return { ...actual, getDraft: vi.fn(), saveDraft: vi.fn(async () => null), deleteDraft: vi.fn(async () => null) };
});
const mocked = vi.mocked(client);

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
  vi.useRealTimers();
});

describe("stored drafts", () => {
  it("names drafts by kind and case", () => {
    expect(draftKey("comment", "AB-12")).toBe("comment.ab-12");
  });

  it("brings back the stored text", async () => {
    mocked.getDraft.mockResolvedValue("where I stopped");
    const { result } = renderHook(() => useStoredDraft("comment.c1"));
    await waitFor(() => expect(result.current.text).toBe("where I stopped"));
    expect(result.current.status).toBe("saved");
  });

  it("lets typing that starts before the stored text arrives win", async () => {
    let answer: (v: string | null) => void = () => {};
    mocked.getDraft.mockReturnValue(new Promise((r) => (answer = r)));
    const { result } = renderHook(() => useStoredDraft("comment.c1"));
    act(() => result.current.setText("typed at once"));
    await act(async () => answer("older draft"));
    expect(result.current.text).toBe("typed at once");
  });

  it("writes once typing pauses, only the last text", async () => {
    vi.useFakeTimers();
    mocked.getDraft.mockResolvedValue(null);
    const { result } = renderHook(() => useStoredDraft("comment.c1"));
    await act(async () => {});
    act(() => result.current.setText("a"));
    act(() => result.current.setText("ab"));
    act(() => result.current.setText("abc"));
    expect(result.current.status).toBe("saving");
    expect(mocked.saveDraft).not.toHaveBeenCalled();
    await act(async () => vi.advanceTimersByTime(DRAFT_SAVE_DELAY_MS));
    expect(mocked.saveDraft).toHaveBeenCalledTimes(1);
    expect(mocked.saveDraft).toHaveBeenCalledWith("comment.c1", "abc");
    expect(result.current.status).toBe("saved");
  });

  it("writes what is pending when the view goes away", async () => {
    mocked.getDraft.mockResolvedValue(null);
    const { result, unmount } = renderHook(() => useStoredDraft("comment.c1"));
    await act(async () => {});
    act(() => result.current.setText("closing now"));
    unmount();
    expect(mocked.saveDraft).toHaveBeenCalledWith("comment.c1", "closing now");
  });

  it("keeps the text on screen and says so when saving fails", async () => {
    mocked.getDraft.mockResolvedValue(null);
    mocked.saveDraft.mockRejectedValueOnce(new ApiError("storage", "disk full"));
    const { result } = renderHook(() => useStoredDraft("comment.c1"));
    await act(async () => {});
    act(() => result.current.setText("precious"));
    await waitFor(() => expect(result.current.status).toBe("failed"));
    expect(result.current.error).toBe("disk full");
    expect(result.current.text).toBe("precious");
  });

  it("forgets the draft on clear, including a pending write", async () => {
    vi.useFakeTimers();
    mocked.getDraft.mockResolvedValue(null);
    const { result } = renderHook(() => useStoredDraft("comment.c1"));
    await act(async () => {});
    act(() => result.current.setText("posted"));
    act(() => result.current.clear());
    await act(async () => vi.advanceTimersByTime(DRAFT_SAVE_DELAY_MS * 2));
    expect(mocked.saveDraft).not.toHaveBeenCalled();
    expect(mocked.deleteDraft).toHaveBeenCalledWith("comment.c1");
    expect(result.current.text).toBe("");
  });
});

describe("disk mirror of a form's draft", () => {
  it("brings the disk copy back into an empty form, not over typed text", async () => {
    mocked.getDraft.mockResolvedValue('{"title":"from disk"}');
    const restore = vi.fn();
    renderHook(() => useDiskMirror("create-case", "", restore));
    await waitFor(() => expect(restore).toHaveBeenCalledWith('{"title":"from disk"}'));

    // Typed after the form opened and before the disk copy arrived: the typing stays.
    let answer: (body: string) => void = () => {};
    mocked.getDraft.mockReturnValueOnce(new Promise((r) => (answer = r)));
    const keep = vi.fn();
    const { rerender } = renderHook(({ s }) => useDiskMirror("create-case", s, keep), { initialProps: { s: "" } });
    rerender({ s: '{"title":"typed"}' });
    await act(async () => answer('{"title":"from disk"}'));
    expect(keep).not.toHaveBeenCalled();
  });

  it("prefers the disk copy to a stale WebView copy when the form opens", async () => {
    // The window was killed: WebView storage kept "Beaconing from the ", the core's file the whole title.
    mocked.getDraft.mockResolvedValue('{"title":"Beaconing from the print server"}');
    const restore = vi.fn();
    renderHook(() => useDiskMirror("create-case", '{"title":"Beaconing from the "}', restore));
    await waitFor(() => expect(restore).toHaveBeenCalledWith('{"title":"Beaconing from the print server"}'));
  });

  it("writes changes once typing pauses and removes the file when the form empties", async () => {
    vi.useFakeTimers();
    mocked.getDraft.mockResolvedValue(null);
    const { rerender } = renderHook(({ s }) => useDiskMirror("create-case", s, () => {}), { initialProps: { s: "" } });
    await act(async () => {});
    expect(mocked.saveDraft).not.toHaveBeenCalled();
    rerender({ s: '{"title":"a"}' });
    rerender({ s: '{"title":"ab"}' });
    await act(async () => vi.advanceTimersByTime(DRAFT_SAVE_DELAY_MS));
    expect(mocked.saveDraft).toHaveBeenCalledTimes(1);
    expect(mocked.saveDraft).toHaveBeenLastCalledWith("create-case", '{"title":"ab"}');
    rerender({ s: "" });
    await act(async () => vi.advanceTimersByTime(DRAFT_SAVE_DELAY_MS));
    expect(mocked.saveDraft).toHaveBeenLastCalledWith("create-case", "");
  });

  it("writes what is pending when the form closes", async () => {
    mocked.getDraft.mockResolvedValue(null);
    const { rerender, unmount } = renderHook(({ s }) => useDiskMirror("create-case", s, () => {}), {
      initialProps: { s: "" },
    });
    await act(async () => {});
    rerender({ s: '{"title":"closing"}' });
    unmount();
    expect(mocked.saveDraft).toHaveBeenCalledWith("create-case", '{"title":"closing"}');
  });
});
