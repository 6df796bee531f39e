import "./codedError.css";

type Props = {
  /** What went wrong in a few words, chosen from the error's code. */
  heading: string;
  /** The core's sentence: what failed and what to do. */
  message: string;
  className?: string;
};

/** A remote system's failure: a coded heading and the core's message, announced as an alert. */
export function CodedError({ heading, message, className }: Props) {
  return (
    <div className={`form-error coded-error ${className ?? ""}`.trim()} role="alert">
      <strong className="coded-error-heading">{heading}</strong>
      <p className="coded-error-message">{message}</p>
    </div>
  );
}
