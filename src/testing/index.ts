/** Public test kit: fakes of Asterisk (AMI server, FastAGI caller, ARI server) and transcript replay. */
export {};
