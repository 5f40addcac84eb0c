// A Go program for language detection tests: listens on the port in argv[1] (none when 0),
// prints {"pid": N} once ready, then waits to be killed.
package main

import (
	"fmt"
	"net"
	"os"
	"strconv"
	"time"
)

func main() {
	port, _ := strconv.Atoi(os.Args[1])
	if port != 0 {
		listener, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer listener.Close()
	}
	fmt.Printf("{\"pid\": %d}\n", os.Getpid())
	time.Sleep(time.Hour)
}
