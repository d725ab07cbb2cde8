"""Exit codes of the `govspider` command, for cron and systemd (listed in the README)."""

OK = 0  # everything asked for was done: every site crawled and stored, the report written
INCOMPLETE = 1  # a site could not be crawled or stored (failed, not reached, interrupted)
USAGE = 2  # bad input: arguments, site list, database URL, profile, an empty database
QUEUE_FULL = 3  # `schedule --no-wait`: jobs left unpushed because every queue was full
