"""The ROS1 course application: the command line, Voila serving, the learning record, the lessons' panels
and the documents (handout, record summary), built on the widgets and the guidance module."""
