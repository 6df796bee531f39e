import { useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { secretStoreStatus, unlockSecrets } from "../../lib/api/client";
import { queryKeys } from "../../lib/queryKeys";
import { PassphraseDialog } from "../../components/PassphraseDialog";

/**
 * Once per session, when this database keeps its secrets in the encrypted file and it is still
 * locked, asks for its passphrase as the app opens, so a push or an alert search later does
 * not fail on it. "Cancel" leaves it locked until Settings → Secrets → Unlock.
 */
export function UnlockAtStart() {
  const queryClient = useQueryClient();
  const status = useQuery({ queryKey: queryKeys.secretStore, queryFn: secretStoreStatus });
  // Asked once: unlocked or cancelled, it does not come back this session (after Lock now in
  // Settings → Secrets, the user chose the lock).
  const [asked, setAsked] = useState(false);
  const s = status.data;
  if (asked || !s || s.store !== "encrypted-file" || !s.file_exists || s.unlocked) return null;
  return (
    <PassphraseDialog
      mode="unlock"
      title="Unlock your secrets"
      submitLabel="Unlock"
      filePath={s.file_path}
      intro={
        <p>
          This database keeps its connector tokens and API keys in an encrypted file. Enter its passphrase to push cases
          and search alerts in this session.
        </p>
      }
      onSubmit={async (passphrase) => {
        queryClient.setQueryData(queryKeys.secretStore, await unlockSecrets(passphrase));
        void queryClient.invalidateQueries({ queryKey: ["configuration"] });
        setAsked(true);
      }}
      onClose={() => setAsked(true)}
    />
  );
}
