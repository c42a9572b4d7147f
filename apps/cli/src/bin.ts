process.stdout.write('graphon-pai\n');
