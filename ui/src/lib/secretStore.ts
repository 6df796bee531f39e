// Where this database's secrets are kept, in the words the connector and alert source screens
// use, so "stored in keychain" is never said of a token that went to the encrypted file.
import { useQuery } from "@tanstack/react-query";
import { secretStoreStatus } from "./api/client";
import { queryKeys } from "./queryKeys";

export type SecretStoreWords = {
  /** "keychain" | "encrypted file": after "Stored in" / "Missing from". */
  short: string;
  /** "your OS keychain" | "the encrypted secrets file": after "is stored in". */
  full: string;
};

export const KEYCHAIN_WORDS: SecretStoreWords = { short: "keychain", full: "your OS keychain" };
export const FILE_WORDS: SecretStoreWords = { short: "encrypted file", full: "the encrypted secrets file" };

/** The words of the store in use; the keychain's until the status is known (the default store). */
export function useSecretStoreWords(): SecretStoreWords {
  const status = useQuery({ queryKey: queryKeys.secretStore, queryFn: secretStoreStatus, staleTime: 30_000 });
  return status.data?.store === "encrypted-file" ? FILE_WORDS : KEYCHAIN_WORDS;
}
