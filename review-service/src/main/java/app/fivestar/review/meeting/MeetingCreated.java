package app.fivestar.review.meeting;

/**
 * A meeting was just created, fired inside the creating transaction: features built on meetings (the score sheet of
 * an observation) set themselves up without the meeting knowing them.
 */
public record MeetingCreated(Meeting meeting) {
}
