import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { ApiError } from "./lib/api/client";
import { subscribeDbChanged } from "./lib/api/events";
import { installUndoKeys, needsUndoKeys } from "./lib/undoKeys";
import { App } from "./App";
import "./styles/app.css";

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // The core answers in milliseconds and "db-changed" invalidates everything, so a short
      // staleness is only a safety net for a missed event.
      staleTime: 30_000,
      refetchOnWindowFocus: true,
      // Only a busy database is worth retrying; other errors will not go away by themselves.
      retry: (failures, error) => ApiError.from(error).code === "busy" && failures < 2,
    },
  },
});

void subscribeDbChanged(queryClient);
if (needsUndoKeys()) installUndoKeys();

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
