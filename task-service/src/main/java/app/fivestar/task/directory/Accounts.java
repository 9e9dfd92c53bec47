package app.fivestar.task.directory;

import java.util.List;

/**
 * Sign-in accounts of the people in the directory, kept at the identity provider (implemented by the signin package,
 * so that the directory does not depend on it). Called after the directory's transaction has committed, never inside
 * one: it is a network call.
 */
public interface Accounts {

    /** An account made (or its password reset): the one-time password the office hands out, changed at first sign-in. */
    record Issued(String username, String oneTimePassword) {
    }

    /** An account that could not be made or updated now (the provider unreachable, …): retry with the person's account operation. */
    record Failed(String username, String detail) {
    }

    record Outcome(List<Issued> issued, List<Failed> failed) {
    }

    /** Whether accounts are kept at a provider at all (off where people sign in elsewhere). */
    boolean enabled();

    /** Makes an account for each new person and brings every changed one's roles and ids up to date. */
    Outcome sync(List<Person> created, List<Person> updated);

    /** Makes the person's account, or resets its password when it exists: a new one-time password. */
    Issued reset(Person person);
}
