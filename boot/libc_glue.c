/*
 * The few OS hooks picolibc's libc.a reaches for (its crt0 and OS layer are not
 * linked): _exit for abort()/stack-protector failures, and the kill/getpid pair
 * behind raise(). They end the run through bbm_exit so the exit line still prints.
 */
#include <stdio.h>
#include <sys/types.h>

#include "boot/exit.h"

void _exit(int status);
pid_t getpid(void);
int kill(pid_t pid, int sig);

void _exit(int status)
{
	printf("# libc called _exit(%d) (abort or stack-protector failure)\n", status);
	bbm_exit_panic();
}

pid_t getpid(void)
{
	return 1;
}

int kill(pid_t pid, int sig)
{
	printf("# libc raised signal %d in pid %d\n", sig, (int)pid);
	bbm_exit_panic();
}
