// What the LTI endpoint needs from the LTI projection (src/domains/lti), handed in by the
// composition root: src/lti verifies, stores and answers launches, but neither knows the
// launch schema nor reads any domain's tables itself.

/** A launch's parameters as stored in the event log: all but the signature, a repeated one as a list. */
export type LaunchParameters = Record<string, string | string[]>;

/** The page's account of a recorded launch: its course and resource link as they now stand. */
export interface RecordedLaunch {
  /** The course's recorded title, else the one the launch sent. */
  courseTitle: string | null;
  /** The course code the launch sent (context_label). */
  courseLabel: string | null;
  /** The global Canvas course id, or null while it is not known (or no course was named). */
  courseId: string | null;
  /** Whether the launch named a course at all (context_id): then a null courseId is "waiting". */
  namesCourse: boolean;
  linkTitle: string | null;
  /** The resource link's Canvas id once known, else the launch's resource_link_id. */
  linkId: string | null;
}

export interface LaunchProjection<Launch> {
  /** The event name a verified launch is stored under. */
  eventName: string;
  /** Checks the parameters the projection reads: the launch, or what is wrong with it (field and why). */
  read(parameters: LaunchParameters): { launch: Launch } | { problem: string };
  /** Reads back what projecting `launch` recorded, for the page. */
  recorded(launch: Launch): Promise<RecordedLaunch>;
}
