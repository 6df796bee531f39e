import { afterEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, renderHook, waitFor } from "@testing-library/react";
import * as client from "./api/client";
import { ApiError } from "./api/client";
import { DRAFT_SAVE_DELAY_MS, draftKey, useStoredDraft } from "./drafts";

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
