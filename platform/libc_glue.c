/*
 * The few OS hooks picolibc's libc.a reaches for (its crt0 and OS layer are not
 * linked): _exit for abort()/stack-protector failures, and the kill/getpid pair
 * behind raise(). They end the run through firmware_exit so the exit line still prints.
 */
#include <stdio.h>
#include <sys/types.h>

#include "platform/exit.h"

void _exit(int status);
pid_t getpid(void);
int kill(pid_t pid, int sig);

void _exit(int status)
{
	printf("# libc called _exit(%d) (abort or stack-protector failure)\n", status);
	firmware_panic();
}

pid_t getpid(void)
{
	return 1;
}

int kill(pid_t pid, int sig)
{
	printf("# libc raised signal %d in pid %d\n", sig, (int)pid);
	firmware_panic();
}
