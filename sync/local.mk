# sync: pollers and the event stream that keep the store in step
