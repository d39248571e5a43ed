//! A child `albumen` process that is always stopped: killed when the test drops it, even when
//! the test fails half-way, so no server outlives its test.

use std::process::{Child, Command, ExitStatus};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

pub struct ServerProcess {
    child: Option<Child>,
}

impl ServerProcess {
    /// Starts `command`; without WebP/AVIF renditions unless it names `ALBUMEN_RENDITIONS` (their
    /// jobs would add objects and CPU under every other test's counts, as in `helpers`).
    pub fn spawn(command: &mut Command) -> Self {
        if !command
            .get_envs()
            .any(|(key, _)| key == "ALBUMEN_RENDITIONS")
        {
            command.env("ALBUMEN_RENDITIONS", "");
        }
        Self {
            child: Some(command.spawn().expect("start albumen")),
        }
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// Peak and current resident memory (VmHWM, VmRSS) in KiB, from /proc.
    pub fn memory_kib(&self) -> Option<(u64, u64)> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()?)).ok()?;
        let field = |name: &str| {
            status
                .lines()
                .find_map(|line| line.strip_prefix(name))?
                .split_whitespace()
                .next()?
                .parse()
                .ok()
        };
        Some((field("VmHWM:")?, field("VmRSS:")?))
    }

    pub fn has_exited(&mut self) -> bool {
        self.child
            .as_mut()
            .is_none_or(|child| child.try_wait().ok().flatten().is_some())
    }

    /// SIGKILL: the process gets no chance to clean up.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// SIGTERM and the exit status once it has stopped.
    pub fn terminate(&mut self) -> ExitStatus {
        let mut child = self.child.take().expect("a running server");
        let pid = Pid::from_raw(i32::try_from(child.id()).expect("pid"));
        kill(pid, Signal::SIGTERM).expect("signal");
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Some(status) = child.try_wait().expect("status") {
                return status;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("albumen did not stop on SIGTERM");
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill();
    }
}
